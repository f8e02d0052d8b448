import { Project, YamlFile } from 'projen';

/** The marker line, computed once per project. */
const markers = new WeakMap<Project, string>();

/**
 * A projen YamlFile whose marker text is computed once per project. projen
 * computes it per file by searching every component of the project for the
 * projenrc file, which made a synth with a thousand generated files
 * quadratic (about a second at 500 services).
 */
export class GeneratedYamlFile extends YamlFile {
  public override get marker(): string | undefined {
    if (this.project.ejected) return undefined;
    let marker = markers.get(this.project);
    if (marker === undefined) {
      marker = super.marker ?? '';
      markers.set(this.project, marker);
    }
    return marker === '' ? undefined : marker;
  }
}
