#!/usr/bin/perl
# gen_batch_event.pl OUT.json: the 64 KB event of codec_bench.sh, importBatch
# of codec_bench.ctl: a batch with a long description, 2 long notes (plain
# ASCII, some escapes and some UTF-8) and 500 line items like the order's,
# about 64 KiB in all.
# Deterministic: the same bytes every run.
use strict;
use warnings;

my ($out) = @ARGV;
open my $f, '>', $out or die "$out: $!";
my $words = 'the quick brown fox jumps over the lazy dog while the batch goes through ';
my $description = substr($words x 40, 0, 1000);
my @notes;
for my $i (0 .. 1) {
    my $text = substr(($words x 12) . "caf\x{e9} \\\"quoted\\\" line\\n ", 0, 700);
    push @notes, "\"note $i: $text\"";
}
my @kinds = qw(physical digital service gift-card);
my @items;
for my $i (0 .. 499) {
    my $kind = $kinds[$i % 4];
    my $gift = $i % 3 ? 'false' : 'true';
    my $price = sprintf '%.2f', 1.25 + ($i % 97) * 0.5;
    my $weight = sprintf '%.2f', 0.05 + ($i % 13) * 0.125;
    my $note = $i % 10 ? '' : ",\"note\":\"handle with care, item $i\"";
    push @items, "{\"sku\":\"S" . sprintf('%05d', $i) . "\",\"name\":\"I$i\","
        . "\"kind\":\"$kind\",\"quantity\":" . (1 + $i % 9) . ",\"unit_price\":$price,\"weight_kg\":$weight,"
        . "\"gift\":$gift,\"tags\":[\"t" . ($i % 7) . "\"]$note}";
}
binmode $f, ':encoding(UTF-8)';
print $f "{\"function\":\"importBatch\",\"batch\":{\"id\":\"batch-2026-12-07-0001\",\"description\":\"$description\","
    . "\"notes\":[" . join(',', @notes) . "],\"items\":[" . join(',', @items) . "]}}\n";
close $f or die "$out: $!";
