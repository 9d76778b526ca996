/* diff.h: `ctlc diff`, the wire compatibility of two versions of a spec. */
#ifndef CTLC_DIFF_H
#define CTLC_DIFF_H

/* The `ctlc diff [-I DIR]... [--both-ways] [--json] OLD.ctl NEW.ctl` command;
 * args are the arguments after "diff". Returns the exit status: 0 nothing
 * breaks, 1 a change breaks, 2 usage error or a spec that does not check. */
int ctlc_diff_main(int argc, char **argv);

#endif
