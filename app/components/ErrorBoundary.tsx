import { Component, type ReactNode } from 'react';

/** Never a blank page: a rendering failure shows what happened and a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="banner bad" role="alert" style={{ margin: 16, borderRadius: 8 }}>
        <strong>TDI Flow Lab hit a problem drawing this page:</strong> <code>{this.state.error.message}</code>
        <button onClick={() => location.reload()}>Reload</button>
      </div>
    );
  }
}
