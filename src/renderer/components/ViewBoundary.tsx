import { Component, type ReactNode } from 'react';

/**
 * Keeps a failure inside one view: the rest of the page (and the work in
 * the engine) stays, and the analyst can switch views, save or undo. React
 * needs a class component for this.
 */
export class ViewBoundary extends Component<{ readonly view: string; readonly children: ReactNode }, { readonly error: Error | null; readonly view: string }> {
  override state = { error: null as Error | null, view: this.props.view };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  /** Another view clears the failure: each view gets its own chance. */
  static getDerivedStateFromProps(props: { readonly view: string }, state: { readonly error: Error | null; readonly view: string }) {
    return props.view === state.view ? null : { error: null, view: props.view };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <p className="notice notice-error" role="alert">
        This view failed to draw: {this.state.error.message}. The work is safe in the engine: switch views, undo the last edit or save the workspace.
      </p>
    );
  }
}
