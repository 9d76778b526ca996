enum Word{struct,map,true,}
struct K{client:string;map:map<int>;w:Word=struct;fn?:list<Word>;}
controller C uses C.map, // the map function
  C.fn{fn map{}async fn fn{}}
client Q uses /* first */ C . map ,C;
