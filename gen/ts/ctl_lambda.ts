// ctl_lambda.ts: how the modules that `ctlc ts` generates invoke a
// controller, over npm's @aws-sdk/client-lambda; written beside them, the
// same text for every spec. A send is an Event invocation (Lambda queues
// it and answers 202); a call is RequestResponse, whose FunctionError
// becomes a FunctionError carrying the controller's errorType and message.
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

import { CtlError, FunctionError, bytesOf } from './ctl_runtime.js';

/** Invokes functionName with the event, InvocationType Event. */
export async function send(client: LambdaClient, functionName: string, event: string): Promise<void> {
    const r = await client.send(new InvokeCommand({
        FunctionName: functionName, InvocationType: 'Event', Payload: bytesOf(event),
    }));
    if (r.StatusCode !== 202)
        throw new CtlError('ctl.ServiceError', `${functionName}: an Event invocation answered ${r.StatusCode}, not 202`);
}

/** Invokes functionName with the event, InvocationType RequestResponse:
 * the answer's bytes, or the FunctionError it carries. */
export async function call(client: LambdaClient, functionName: string, event: string): Promise<Uint8Array> {
    const r = await client.send(new InvokeCommand({
        FunctionName: functionName, InvocationType: 'RequestResponse', Payload: bytesOf(event),
    }));
    const payload = r.Payload ?? new Uint8Array(0);
    if (r.FunctionError !== undefined) {
        const text = new TextDecoder().decode(payload);
        let type = 'ctl.Error', message = text;
        try {
            const o: unknown = JSON.parse(text);
            if (typeof o === 'object' && o !== null) {
                const e = o as { errorType?: unknown; errorMessage?: unknown };
                if (typeof e.errorType === 'string')
                    type = e.errorType;
                if (typeof e.errorMessage === 'string')
                    message = e.errorMessage;
            }
        } catch {
            // not Lambda's error object: its text is the message
        }
        throw new FunctionError(type, message);
    }
    return payload;
}
