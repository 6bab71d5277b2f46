import { useEffect, useRef, useState } from 'react';

/**
 * Asks for the reason of a decision (approve or reject rules, accept an
 * anomaly): it is what an auditor reads later, so it cannot be left empty.
 * Focus goes to the reason at once; Escape cancels.
 */
export function DecisionForm(props: {
  readonly what: string;
  readonly decision: 'approved' | 'rejected' | 'accepted';
  readonly onSubmit: (reason: string) => void | Promise<void>;
  readonly onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const verb = props.decision === 'approved' ? 'Approve' : props.decision === 'rejected' ? 'Reject' : 'Accept';
  return (
    <form
      className="decision-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim() !== '') void props.onSubmit(reason.trim());
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <label>
        {verb} {props.what}: why?{' '}
        <input ref={input} value={reason} onChange={(event) => setReason(event.target.value)} required maxLength={1000} placeholder="the reason (required)" aria-label="reason" />
      </label>
      <button type="submit" disabled={reason.trim() === ''}>
        {verb}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}
