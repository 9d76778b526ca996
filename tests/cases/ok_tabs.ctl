// A file indented with tabs, with tabs between tokens too, and a
// warning whose caret line keeps the tabs so that it lines up.
struct	Tabbed	{
	a:	int;
		b	?	:	list<	string	>;
	/// A doc after a tab.
	c:	string	=	"x";
}

@deprecated	enum	Old	{	x	}
struct	UsesOld	{
	old:	Old;
}
