// Names that give one logical ID in a SAM template (a_b, aB and a__b are
// all "AB"; _x is "X"), two controllers that use each other, and a client
// whose name ends like a function's ID: `ctlc sam` numbers the later ones
// and spells every name and ARN out (Ref would make a dependency cycle).
package ids;
controller a_b uses aB {
    async fn ping {}
}

controller aB uses a_b, a__b.pong {
    async fn ping {}
}

@retries(0)
controller a__b {
    fn pong {}
}

controller _x {}

client a_b_function uses _x, a_b;
