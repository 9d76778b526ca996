import "inc/svc.ctl";
