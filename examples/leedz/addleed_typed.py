"""addleed_typed.py MODULE_DIR ENDPOINT: addLeed's calls through the Python
module `ctlc py` writes for specs/leedz.ctl, against the C controllers that
`leedz_helpers serve` hosts.

Where addleed.py builds dicts that nothing checks, this caller builds the
spec's dataclasses; the generated stubs check them with the controllers'
rules and write the events with libctl's bytes, and a sync call answers a
typed result. A payload that breaks the contract (an id over @length's 64
code points) is refused before anything is sent."""
import sys
import time

import boto3
from botocore.config import Config

sys.path.insert(0, sys.argv[1])
import leedz  # noqa: E402  (generated: ctlc py -o MODULE_DIR specs/leedz.ctl)

lam = boto3.client('lambda', endpoint_url=sys.argv[2], region_name='us-east-1', aws_access_key_id='AKIDLOCAL',
                   aws_secret_access_key='local', config=Config(retries={'max_attempts': 1}))
booking = leedz.booking_helper_client(lambda_client=lam)
db = leedz.async_db_helper_client(lambda_client=lam)
email = leedz.async_email_helper_client(lambda_client=lam)

answer = booking.call_checkBooking(leedz.booking_helper_checkBooking_args(
    trade=leedz.Trade.caricatures, date='2026-12-24', zip='90210'))
print("checkBooking (typed): available=%s conflict_id=%s" % (answer.available, answer.conflict_id))
db.send_logActivity(leedz.async_db_helper_logActivity_args(
    username='scott.gross', action=leedz.Activity.posted, timestamp=int(time.time()), leed_id='123456789'))
print("logActivity (Event): sent")
try:
    email.send_notifyUsers(leedz.async_email_helper_notifyUsers_args(
        id='x' * 65, trade=leedz.Trade.caricatures, seller='scott.gross'))
except leedz.CtlInvalidArguments as e:
    print("notifyUsers with a 65-character id, refused before sending: %s: %s" % (e.error_type, e.message))
else:
    sys.exit("the stub sent an id longer than @length allows")
