struct S { x int; } // after a BOM on line 1: columns count from after the BOM
