import { INTENDED_USE, REFERENCE_SET, versionLine } from '../../../src/engine/index.ts';

/** The statement of intended use and limitations, from the one source the CLI and reports also render. */
export function AboutPage() {
  return (
    <article className="about" aria-labelledby="about-title">
      <h1 id="about-title">About Retroplan</h1>
      <p className="lead">{INTENDED_USE.summary}</p>
      <p className="small muted">
        {versionLine()}. Reference texts: {REFERENCE_SET.join(', ')}.
      </p>
      {INTENDED_USE.sections.map((section) => (
        <section key={section.id} aria-labelledby={`about-${section.id}`}>
          <h2 id={`about-${section.id}`}>{section.title}</h2>
          <ul>
            {section.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </section>
      ))}
    </article>
  );
}

/** The short notice for a printed report: what the software is and is not, with the release. */
export function IntendedUseNotice() {
  return (
    <p className="intended-use-notice small">
      {INTENDED_USE.summary} {versionLine()}. Intended use and limitations: see About.
    </p>
  );
}
