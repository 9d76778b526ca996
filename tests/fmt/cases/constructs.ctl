/// Every construct, squeezed.
@deprecated("use v2") package   shop ;
import "a.ctl";   import "b.ctl";


import "c.ctl";
enum Color{red,green,blue,}
enum Size { @json("S") small, medium , large }
@deprecated enum Old{a}
struct Empty{}
struct Item{name:string;qty?:int;@length(min:1,max:64)sku:string="x";tags:list<string>;
attrs:map<list<map<int>>>;@json( "price-cents" )@range(min:-1,max:1.5e3)price:float=1;ok:bool=true;color:Color=red;blob?:json;}
client   Web;
client Api uses Shop.buy,Shop , Other.x;
@deprecated("gone") client Legacy uses Shop;
controller Empty2{}
controller Shop uses Shop.list{
async fn buy{item:Item;}
fn list{}->{items:list<Item>;}
fn get{id:string;}->Item
@deprecated("no") async fn fn{} fn map{map:map<int>;}
}
