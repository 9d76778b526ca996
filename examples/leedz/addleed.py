"""addleed.py ENDPOINT: the seed's Python caller, unchanged but for
endpoint_url, against C controllers that `leedz_helpers serve` hosts.

It does what addLeed.py does in the hand-written pattern: a synchronous
booking check it must wait for (InvocationType='RequestResponse'), then the
bookkeeping as events it does not wait for (InvocationType='Event'), with
the payloads the pattern's dicts carry. Then one mistake a spec catches:
a payload with a misspelt trade."""
import json
import sys
import time

import boto3
from botocore.config import Config

endpoint = sys.argv[1]
# serve accepts any credentials unless started with --require-auth; boto3
# still wants some to sign with.
lambda_function = boto3.client('lambda', endpoint_url=endpoint, region_name='us-east-1',
                               aws_access_key_id='AKIDLOCAL', aws_secret_access_key='local',
                               config=Config(retries={'max_attempts': 1}))

t0 = time.monotonic()
r = lambda_function.invoke(FunctionName='booking_helper',
                           InvocationType='RequestResponse',
                           Payload=json.dumps({'function': 'checkBooking', 'trade': 'caricatures',
                                               'date': '2026-12-24', 'zip': '90210'}))
print("checkBooking (RequestResponse): %d %s" % (r['StatusCode'], r['Payload'].read().decode()))

# addLeed.py (main branch)
payload = {
    'function': 'notifyUsers',
    'id': '123456789',
    'trade': 'caricatures',
    'seller': 'scott.gross'
}
r = lambda_function.invoke(FunctionName='async_email_helper',
                           InvocationType='Event',
                           Payload=json.dumps(payload))
print("notifyUsers (Event): %d" % r['StatusCode'])
r = lambda_function.invoke(FunctionName='async_sms_helper', InvocationType='Event',
                           Payload=json.dumps({'function': 'textSubscribers', 'id': '123456789',
                                               'trade': 'caricatures', 'zip': '90210',
                                               'message': 'New caricatures leed near 90210'}))
print("textSubscribers (Event): %d" % r['StatusCode'])
print("the caller had its answers after %.1f ms; the helpers run in the background"
      % ((time.monotonic() - t0) * 1000))

# A dict nobody checked: 'caricature' is not a Trade. The C controller
# refuses it with a typed error instead of half-running.
r = lambda_function.invoke(FunctionName='booking_helper', InvocationType='RequestResponse',
                           Payload=json.dumps({'function': 'checkBooking', 'trade': 'caricature',
                                               'date': '2026-12-24', 'zip': '90210'}))
print("checkBooking with a misspelt trade: FunctionError=%s %s"
      % (r.get('FunctionError'), r['Payload'].read().decode()))
