// The end of an import chain.
package chain_c;

enum Level { low, high }

struct Bottom {
    level: Level = low;
}
