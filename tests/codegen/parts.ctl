// parts.ctl: when the C of a program that hosts controllers names libctl_aws
// (CTL_LINK_PART(aws); runtime/README.md, "Parts"): hosting leaf alone, or
// leaf and caller, it does not (caller's stub reaches leaf in-process);
// hosting caller alone, its stub reaches leaf, which is not hosted: it does.
package parts;

controller leaf {
    /// Returns its text.
    fn echo { text: string; } -> { text: string; }
}

controller caller uses leaf.echo {
    /// Relays its text to leaf.
    fn relay { text: string; }
}
