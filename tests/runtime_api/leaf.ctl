// leaf.ctl: two controllers for the packaging tests and the cold-start
// bench (tests/bench/cold_start.sh): leaf_echo calls nobody, so its binary
// links libctl's core and loop only; leaf_caller calls leaf_echo, which its
// binary does not host, so on Lambda it goes through libctl_aws.
package leaf;

controller leaf_echo {
    /// Returns its text.
    fn echo { text: string; } -> { text: string; }
}

controller leaf_caller uses leaf_echo.echo {
    /// Returns its text (and would ask leaf_echo first: the bench never sends it).
    fn echo { text: string; } -> { text: string; }
}
