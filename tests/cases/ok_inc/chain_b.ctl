// The middle of an import chain: ok_import_chain.ctl -> chain_b.ctl -> chain_c.ctl.
package chain_b;

import "chain_c.ctl";

struct Middle {
    bottom: Bottom;
}
