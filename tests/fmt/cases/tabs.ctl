package	tabs;

struct	S	{
	x:	int;	// tab before
		@length(max:	3)	y:	string;
}

controller C {
	async fn f {
		z: bool;
	}
}
