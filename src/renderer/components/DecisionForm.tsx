import { useEffect, useRef, useState } from 'react';

/** Who made a decision and under which change ticket (a stage decision asks for both, as `flowfence stage --by --ticket`). */
export interface Signer {
  readonly by: string;
  readonly ticket: string | null;
}

/**
 * Asks for the reason of a decision (approve or reject rules, accept an
 * anomaly, set a group's stage): it is what an auditor reads later, so it
 * cannot be left empty. With `signed`, it also asks who decides (required)
 * and the change ticket (optional). Focus goes to the first field at once;
 * Escape cancels.
 */
export function DecisionForm(props: {
  readonly what: string;
  readonly decision: 'approved' | 'rejected' | 'accepted' | 'recorded';
  readonly onSubmit: (reason: string, signer: Signer | null) => void | Promise<void>;
  readonly onCancel: () => void;
  /** Ask who decides and the ticket; the value is who decided last (the page remembers it). */
  readonly signed?: { readonly by: string };
}) {
  const [reason, setReason] = useState('');
  const [by, setBy] = useState(props.signed?.by ?? '');
  const [ticket, setTicket] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const who = useRef<HTMLInputElement>(null);
  useEffect(() => (props.signed !== undefined && props.signed.by === '' ? who : input).current?.focus(), [props.signed]);
  const verb = props.decision === 'approved' ? 'Approve' : props.decision === 'rejected' ? 'Reject' : props.decision === 'accepted' ? 'Accept' : 'Record';
  const complete = reason.trim() !== '' && (props.signed === undefined || by.trim() !== '');
  return (
    <form
      className="decision-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (complete) void props.onSubmit(reason.trim(), props.signed === undefined ? null : { by: by.trim(), ticket: ticket.trim() === '' ? null : ticket.trim() });
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onCancel();
        }
      }}
    >
      {props.signed !== undefined && (
        <label>
          Who decides?{' '}
          <input ref={who} value={by} onChange={(event) => setBy(event.target.value)} required maxLength={200} placeholder="your name (required)" aria-label="who decides" />
        </label>
      )}
      <label>
        {verb} {props.what}: why?{' '}
        <input ref={input} value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={1000} placeholder="the reason (required)" aria-label="reason" />
      </label>
      {props.signed !== undefined && (
        <label>
          Ticket <input value={ticket} onChange={(event) => setTicket(event.target.value)} maxLength={200} placeholder="optional" aria-label="change ticket" />
        </label>
      )}
      <button type="submit" disabled={!complete}>
        {verb}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}
