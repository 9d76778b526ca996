// @records: on a function, async, without fields or a result, one per
// controller, without arguments; destinations on controllers only.
package p;

@records
controller a { async fn f {} }

controller b { @records fn sync {} }

controller c { @records async fn fields { x: int; } }

controller d {
    @records async fn first {}
    @records async fn second {}
}

controller e { @records("x") async fn args {} }

controller f { @on_failure(b) async fn misplaced {} }

@on_success(sqs: "q")
struct S { x: int; }
