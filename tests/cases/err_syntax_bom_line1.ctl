struct S { x int; } // after a BOM on line 1: caret off by one (the BOM is echoed)
