// What was refused and why, one problem per line (a scenario file, a lesson file, a script's
// command): the first twelve, each naming its JSON path; what the user had stays on screen.
export function ProblemsBanner(props: { heading: string; problems: readonly string[]; footer: string; testId: string; onDismiss: () => void }) {
  const { heading, problems, footer, testId, onDismiss } = props;
  return (
    <div className="banner bad" role="alert" data-testid={testId}>
      <strong>
        {heading} — {problems.length === 1 ? 'one problem' : `${problems.length} problems`}:
      </strong>
      <ul>
        {problems.slice(0, 12).map((p) => (
          <li key={p}>
            <code>{p}</code>
          </li>
        ))}
      </ul>
      <span>{footer}</span>
      <button onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
