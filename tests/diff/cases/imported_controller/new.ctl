import "inc/svc2.ctl";
