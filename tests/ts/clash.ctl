// clash.ctl: a struct named as the payload of echo.all would be in
// TypeScript: `ctlc ts` reports the name, and writes nothing.
package clash;

struct EchoAllArgs { s: string; }

controller echo {
    fn all { v: EchoAllArgs; }
}
