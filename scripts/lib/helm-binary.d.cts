// Types of scripts/lib/helm-binary.cjs (used by the tests and the benchmark).

/** The path of the Helm binary the tests use (v4.1.4 from the devDependency's layer.zip), extracted on first use. */
export declare function helmBinary(): string;
/** The bytes of one entry of a zip file (stored or deflated). */
export declare function readZipEntry(zipFile: string, entryName: string): Buffer;
