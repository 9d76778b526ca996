// @idempotent in any layout: fmt keeps the arguments, in order.
controller leedz {
    @idempotent  async fn ping {n:int;}
    @idempotent( key:"leed.id" ,key : "trade",
      expires:86400 )
    fn claim { leed: Leed; trade: string; } -> { ok: bool; }
}

struct Leed { id: string; }
