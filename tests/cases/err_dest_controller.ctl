// A controller destination must name another controller of the specs that
// has a @records function.
package p;

struct Point { x: int; }

@on_failure(failurs)
controller a { async fn f {} }

@on_failure(Point)
controller b { async fn f {} }

@on_success(c)
controller c {
    @records async fn r {}
}

@on_failure(plain)
controller d { async fn f {} }

controller plain { async fn f {} }

controller failures { @records async fn r {} }
