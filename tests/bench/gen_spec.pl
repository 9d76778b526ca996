#!/usr/bin/perl
# gen_spec.pl N OUT.ctl OUT.proto: a spec with N functions (in controllers of
# 100 functions), with a struct and an enum for every 10 functions, and the
# equivalent protobuf schema, for the front-end benchmark.
use strict;
use warnings;

my ($n, $ctl, $proto) = @ARGV;
open my $c, '>', $ctl or die "$ctl: $!";
open my $p, '>', $proto or die "$proto: $!";
print $c "package bench;\n\n";
print $p "syntax = \"proto3\";\npackage bench;\n\n";
my $groups = int(($n + 9) / 10);
for my $g (0 .. $groups - 1) {
    print $c "/// Kind $g.\nenum Kind$g { alpha$g, beta$g, gamma$g, \@json(\"delta-$g\") delta$g }\n\n";
    print $p "enum Kind$g { KIND${g}_ALPHA = 0; KIND${g}_BETA = 1; KIND${g}_GAMMA = 2; KIND${g}_DELTA = 3; }\n\n";
    print $c "/// Item $g.\nstruct Item$g {\n    id: string;\n    kind: Kind$g = beta$g;\n"
        . "    \@range(min: 0) count: int = 0;\n    tags: list<string>;\n    note?: string;\n"
        . "    attrs?: map<string>;\n}\n\n";
    print $p "message Item$g {\n  string id = 1;\n  Kind$g kind = 2;\n  int64 count = 3;\n"
        . "  repeated string tags = 4;\n  optional string note = 5;\n  map<string, string> attrs = 6;\n}\n\n";
}
my $per = 100;
my $ctrls = int(($n + $per - 1) / $per);
print $c "client api uses " . join(', ', map { "helper$_" } 0 .. $ctrls - 1) . ";\n\n";
for my $k (0 .. $ctrls - 1) {
    print $c "/// Helper $k.\ncontroller helper$k {\n";
    print $p "service Helper$k {\n";
    for my $i ($k * $per .. ($k + 1) * $per - 1) {
        last if $i >= $n;
        my $g = int($i / 10);
        if ($i % 2) {
            print $c "    /// Function $i.\n    async fn f$i {\n        \@length(min: 1, max: 64) id: string;\n"
                . "        item: Item$g;\n        items?: list<Item$g>;\n        flag: bool = false;\n    }\n";
            print $p "  rpc F$i(F${i}Args) returns (Empty$k);\n";
        } else {
            print $c "    fn f$i {\n        id: string;\n        kind: Kind$g;\n    } -> {\n"
                . "        ok: bool;\n        item?: Item$g;\n    }\n";
            print $p "  rpc F$i(F${i}Args) returns (F${i}Result);\n";
        }
    }
    print $c "}\n\n";
    print $p "}\nmessage Empty$k {}\n\n";
}
for my $i (0 .. $n - 1) {
    my $g = int($i / 10);
    if ($i % 2) {
        print $p "message F${i}Args { string id = 1; Item$g item = 2; repeated Item$g items = 3; bool flag = 4; }\n";
    } else {
        print $p "message F${i}Args { string id = 1; Kind$g kind = 2; }\n";
        print $p "message F${i}Result { bool ok = 1; optional Item$g item = 2; }\n";
    }
}
