import * as K from '../../scripts/lib/keys.cjs';

/** Accepted commented-out keys of a values.yaml text, as dotted paths. */
function commented(text: string): string[] {
  return K.valuesYamlTree(text).accepted.map((a) => a.path.join('.'));
}

function yaml(lines: string[]): string {
  return lines.join('\n') + '\n';
}

describe('key tree of parsed values.yaml', () => {
  test('non-empty maps are closed; scalars, lists, null and {} are open', () => {
    const { tree } = K.valuesYamlTree(yaml([
      'image:',
      '  repository: grafana/grafana',
      '  tag: ""',
      'podAnnotations: {}',
      'extraArgs: []',
      'nameOverride:',
      'replicas: 1',
    ]));
    expect(tree).toEqual({
      image: { repository: '*', tag: '*' },
      podAnnotations: '*',
      extraArgs: '*',
      nameOverride: '*',
      replicas: '*',
    });
  });
});

describe('commented-out keys', () => {
  test('a commented sibling inside a closed map is accepted (as open)', () => {
    const text = yaml([
      'persistence:',
      '  type: pvc',
      '  enabled: false',
      '  # storageClassName: default',
      '  ## (Optional) Use this to bind the claim to an existing PersistentVolume (PV) by name.',
      '  volumeName: ""',
      '  # annotations: {}',
      '  finalizers:',
      '    - kubernetes.io/pvc-protection',
      '  # selectorLabels: {}',
      '# adminPassword: strongpassword',
      'adminUser: admin',
    ]);
    const { tree, accepted } = K.valuesYamlTree(text);
    expect(accepted.map((a) => a.path.join('.'))).toEqual([
      'persistence.storageClassName', 'persistence.annotations', 'persistence.selectorLabels', 'adminPassword',
    ]);
    expect(accepted[0].line).toBe(4);
    expect(K.nodeAt(tree, ['persistence', 'storageClassName'])).toBe('*');
  });

  test('"#  key:" deeper than an empty map belongs to that map, which stays open', () => {
    const text = yaml([
      'prometheus:',
      '  prometheusSpec:',
      '    retention: 10d',
      '    storageSpec: {}',
      '    ## Using PersistentVolumeClaim',
      '    ##',
      '    #  volumeClaimTemplate:',
      '    #    spec:',
      '    #      storageClassName: gluster',
      '    #      accessModes: ["ReadWriteOnce"]',
      '',
      '    # Additional volumes on the output StatefulSet definition.',
      '    volumes: []',
    ]);
    const { tree, accepted } = K.valuesYamlTree(text);
    expect(accepted).toEqual([]);
    expect(tree).toEqual({ prometheus: { prometheusSpec: { retention: '*', storageSpec: '*', volumes: '*' } } });
  });

  test('comments directly after an empty map at the same column are its example content: not accepted', () => {
    expect(commented(yaml([
      'commonLabels: {}',
      '# scmhash: abc123',
      '# myLabel: aakkmd',
      'vpa:',
      '  maxAllowed: {}',
      '  # cpu: 200m',
      '  # memory: 100Mi',
      '  enabled: false',
    ]))).toEqual([]);
  });

  test('after a blank or prose line, a comment at the same column is a sibling again', () => {
    expect(commented(yaml([
      'sidecar:',
      '  livenessProbe: {}',
      '  # Log level default for all sidecars. Can be one of: DEBUG, INFO, WARN, ERROR, CRITICAL.',
      '  # logLevel: INFO',
      '  readinessProbe: {}',
      '',
      '  # skipTlsVerify: true',
      '  enabled: true',
    ]))).toEqual(['sidecar.logLevel', 'sidecar.skipTlsVerify']);
  });

  test('a "#" at column 0 inside an indented block uses the text column', () => {
    expect(commented(yaml([
      'sidecar:',
      '  enabled: true',
      '  resources: {}',
      '#   limits:',
      '#     cpu: 100m',
      '#   requests:',
      '#     cpu: 50m',
      '  securityContext:',
      '    runAsUser: 1000',
    ]))).toEqual([]);
  });

  test('prose is not a key', () => {
    expect(commented(yaml([
      'server:',
      '  port: 80',
      '  ## ref: https://kubernetes.io/docs/concepts/services-networking/service/',
      '  # ref: https://kubernetes.io/docs/concepts/',
      '  # Note: foo',
      '  # NOTE: Gateway API support is experimental',
      '  # Example:',
      '  # This is how: you do it',
      '  # -- helm-docs: description',
      '  # timeout: request to the server, asking it to cleanly close the connection after that.',
      '  # yaml-language-server: $schema=values.schema.json',
      '  # # doubly: commented',
      '  # e.g.: something',
      '  host: x',
    ]))).toEqual([]);
  });

  test('"#" lines inside block scalars are text, not comments', () => {
    const { tree, accepted } = K.valuesYamlTree(yaml([
      'config: |',
      '  # not: a key',
      '  [server]',
      'extra:',
      '  enabled: true',
      '  script: |-',
      '    # also: not a key',
      '    echo hi',
    ]));
    expect(accepted).toEqual([]);
    expect(tree).toEqual({ config: '*', extra: { enabled: '*', script: '*' } });
  });

  test('list items, keys under list items and restated parents are not accepted', () => {
    expect(commented(yaml([
      'ingress:',
      '  enabled: false',
      '  tls: []',
      '  #  - secretName: chart-example-tls',
      '  #    hosts:',
      '  #      - chart-example.local',
      'global:',
      '  imageRegistry: null',
      '  # global:',
      '  #   imagePullSecrets:',
      '  #   - name: pullSecret1',
      'containers:',
      '  - name: a',
      '    # image: nginx',
    ]))).toEqual([]);
  });

  test('nested commented keys are added under an existing closed map; dotted key names are kept whole', () => {
    const { tree, accepted } = K.valuesYamlTree(yaml([
      'grafana.ini:',
      '  paths:',
      '    data: /var/lib/grafana/',
      '  server:',
      '    domain: example.com',
      '  # server:',
      '  #   root_url: https://example.com',
      '  # auth.github:',
      '  #    enabled: false',
    ]));
    expect(accepted.map((a) => a.path)).toEqual([['grafana.ini', 'server', 'root_url'], ['grafana.ini', 'auth.github']]);
    expect(tree).toEqual({ 'grafana.ini': { 'paths': { data: '*' }, 'server': { domain: '*', root_url: '*' }, 'auth.github': '*' } });
  });

  test('capitalised keys only where the map already has such keys', () => {
    expect(commented(yaml([
      'env:',
      '  HTTP_HOST: "0.0.0.0"',
      '  # RENDERING_MODE: clustered',
      'server:',
      '  port: 80',
      '  # Default: 80',
    ]))).toEqual(['env.RENDERING_MODE']);
  });

  test('classifyCommentText', () => {
    expect(K.classifyCommentText(' storageClassName: gp3')).toEqual({ kind: 'key', key: 'storageClassName', value: 'gp3' });
    expect(K.classifyCommentText(' "quoted.key": 1  # trailing comment')).toEqual({ kind: 'key', key: 'quoted.key', value: '1' });
    expect(K.classifyCommentText(' - name: x')).toEqual({ kind: 'item' });
    expect(K.classifyCommentText('# heading').kind).toBe('prose');
    expect(K.classifyCommentText(' see: the docs').kind).toBe('prose');
    expect(K.classifyCommentText(' url: http://prometheus:9090').kind).toBe('key');
    expect(K.classifyCommentText(' command: ["sh", "-c", "sleep 10 && run"]').kind).toBe('key');
  });
});

describe('values.schema.json', () => {
  const schema = {
    type: 'object',
    additionalProperties: true,
    $defs: { selector: { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } } } },
    properties: {
      strict: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' }, b: { type: 'integer' } } },
      loose: { type: 'object', additionalProperties: true },
      undescribed: { type: 'object' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      patterned: { type: 'object', patternProperties: { '^x-': {} } },
      ref: { $ref: '#/$defs/selector' },
      either: { anyOf: [{ type: 'object', properties: { one: { type: 'string' } } }, { type: 'object', properties: { two: { type: 'string' } } }] },
      scalar: { type: 'string' },
    },
  };

  test('schemaInfo: open maps, strict maps, $ref and anyOf', () => {
    const info = K.schemaInfo(schema, schema)!;
    expect(info.open).toBe(true); // additionalProperties: true at the root
    expect(info.props.strict).toMatchObject({ open: false, strict: true });
    expect(info.props.loose!.open).toBe(true);
    expect(info.props.undescribed!.open).toBe(true);
    expect(info.props.labels!.open).toBe(true);
    expect(info.props.patterned!.open).toBe(true);
    expect(Object.keys(info.props.ref!.props)).toEqual(['matchLabels']);
    expect(Object.keys(info.props.either!.props)).toEqual(['one', 'two']);
    expect(info.props.scalar).toBeUndefined();
  });

  test('mergeSchemaIntoTree: union; the root is never opened; a strict schema closes an open default', () => {
    const values = { strict: '*', loose: { x: '*' }, extra: { y: '*' }, ref: '*' } as const;
    expect(K.mergeSchemaIntoTree(values as any, schema)).toEqual({
      strict: { a: '*', b: '*' },
      loose: '*',
      extra: { y: '*' },
      undescribed: '*',
      labels: '*',
      patterned: '*',
      ref: '*',
      either: { one: '*', two: '*' },
      scalar: '*',
    });
  });
});

describe('trees', () => {
  test('mergeTrees: open wins, closed maps union', () => {
    expect(K.mergeTrees({ a: { b: '*' }, c: '*' }, { a: { d: '*' }, c: { e: '*' }, f: '*' })).toEqual({ a: { b: '*', d: '*' }, c: '*', f: '*' });
    expect(K.mergeTrees({ a: '*' }, '*')).toBe('*');
  });

  test('ensurePath adds dependency conditions but stops at open nodes', () => {
    const t: any = { grafana: { adminUser: '*' }, minio: '*' };
    expect(K.ensurePath(t, ['grafana', 'enabled'])).toBe(true);
    expect(K.ensurePath(t, ['minio', 'enabled'])).toBe(false);
    expect(K.ensurePath(t, ['rollout_operator', 'enabled'])).toBe(true);
    expect(t).toEqual({ grafana: { adminUser: '*', enabled: '*' }, minio: '*', rollout_operator: { enabled: '*' } });
  });
});

describe('CRD schemas', () => {
  test('stripDocs removes documentation keywords but keeps property names and data', () => {
    const crd = {
      spec: {
        group: 'argoproj.io',
        names: { kind: 'AppProject' },
        versions: [
          { name: 'v1alpha0', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
          {
            name: 'v1alpha1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                description: 'AppProject provides a logical grouping',
                type: 'object',
                properties: {
                  description: { description: 'Description contains optional project description', type: 'string', example: 'x' },
                  matchType: { type: 'string', enum: ['!=', '=', '=~', '!~'], default: '=' },
                  port: { 'anyOf': [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true, 'description': 'd' },
                  list: { type: 'array', items: { type: 'object', description: 'item', required: ['name'], properties: { name: { type: 'string' } } } },
                },
                required: ['spec'],
              },
            },
          },
        ],
      },
    };
    const versions = K.crdVersions(crd);
    expect(versions.map((v) => v.version)).toEqual(['v1alpha1']);
    expect(versions[0]).toMatchObject({ group: 'argoproj.io', kind: 'AppProject', storage: true });
    expect(versions[0].schema).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        matchType: { type: 'string', enum: ['!=', '=', '=~', '!~'], default: '=' },
        port: { 'anyOf': [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        list: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      },
      required: ['spec'],
    });
  });
});

describe('versions and output', () => {
  test('compareVersions is numeric', () => {
    expect(['2.9.10', '10.1.1', '2.10.3', '1.0.0-rc.1', '1.0.0'].sort(K.compareVersions)).toEqual(['1.0.0-rc.1', '1.0.0', '2.9.10', '2.10.3', '10.1.1']);
  });

  test('satisfies: Helm dependency constraints', () => {
    expect(K.satisfies('8.4.0', '8.4.0')).toBe(true);
    expect(K.satisfies('8.4.3', '8.4.*')).toBe(true);
    expect(K.satisfies('8.5.0', '8.4.*')).toBe(false);
    expect(K.satisfies('6.17.1', '^6.7.4')).toBe(true);
    expect(K.satisfies('7.0.0', '^6.7.4')).toBe(false);
    expect(K.satisfies('0.12.3', '0.12.*')).toBe(true);
    expect(K.satisfies('12.11.1', '~6.43.0')).toBe(false);
    expect(K.satisfies('6.43.9', '~6.43.0')).toBe(true);
    expect(K.satisfies('18.11.0', '^2.15.2')).toBe(false);
    expect(K.satisfies('1.5.0', '>=1.2.0 <2.0.0')).toBe(true);
    expect(K.satisfies('0.3.5', '^0.3.1')).toBe(true);
    expect(K.satisfies('0.4.0', '^0.3.1')).toBe(false);
  });

  test('stableJson sorts keys at every level, independent of insertion order', () => {
    const a = K.stableJson({ b: { d: 1, c: [{ z: 1, y: 2 }] }, a: '*' }, 1);
    const b = K.stableJson({ a: '*', b: { c: [{ y: 2, z: 1 }], d: 1 } }, 1);
    expect(a).toBe(b);
    expect(a).toBe('{\n "a": "*",\n "b": {\n  "c": [\n   {\n    "y": 2,\n    "z": 1\n   }\n  ],\n  "d": 1\n }\n}\n');
  });
});
