import { Component, Project } from 'projen';
import { GeneratedTextFile, GeneratedYamlFile, MARKDOWN_MARKER } from './generated-yaml-file';
import { allRuleGroups, allRunbooks } from '../model/alerts/index';
import { renderRuleFile, renderTestFile } from '../model/alerts/render';
import { runbookPath } from '../model/alerts/runbooks';
import { SHAPES_RULE_FILE_SUFFIX } from '../model/alerts/shapes';
import { StackModel } from '../model/stack';

/** Folder of the generated promtool rule and test files. */
export const RULE_TESTS_DIR = 'tests/rules';

/** Name of the task that checks and unit-tests the rules with promtool. */
export const TEST_RULES_TASK = 'test:rules';

/** The promtool rule file of a group. */
export function ruleFilePath(group: string): string {
  return `${RULE_TESTS_DIR}/${group}.rules.yaml`;
}

/** The promtool test file of a group. */
export function ruleTestFilePath(group: string): string {
  return `${RULE_TESTS_DIR}/${group}.test.yaml`;
}

/**
 * The rules as files a reviewer and CI can check without a cluster:
 *
 * - `tests/rules/<group>.rules.yaml`: the rule group (the same rules the
 *   PrometheusRule or the prometheus chart's rule files carry);
 * - `tests/rules/<group>.test.yaml`: its promtool unit tests (every pack alert
 *   fires after `for` on an input above its threshold, and stays quiet below);
 * - `tests/rules/<group>.shapes.rules.yaml`: when services share a rule shape
 *   (rules equal but for their namespace and name), the rules of one service
 *   per shape, which the group's tests load instead of every service's;
 * - `docs/runbooks/<alert>.md`: the runbook each alert's `runbook_url` points to;
 * - the task `test:rules`: `promtool check rules` and `promtool test rules`.
 *
 * Other `*.test.yaml` files in tests/rules (your own, for example for
 * `alerting.customRules`) run with the generated ones.
 */
export class AlertRulesFiles extends Component {
  constructor(project: Project, model: StackModel) {
    super(project);
    const groups = allRuleGroups(model.options);
    if (groups.length === 0) return;

    let tests = 0;
    for (const group of groups) {
      new GeneratedYamlFile(project, ruleFilePath(group.name), { obj: renderRuleFile([group], ruleFilePath(group.name)) });
      if (group.tests.length === 0) continue;
      // rule_files are resolved relative to the test file. When the tests cover one service per
      // rule shape, they load only those services' rules (see src/model/alerts/shapes.ts).
      let ruleFile = `${group.name}.rules.yaml`;
      if (group.testedRules) {
        ruleFile = `${group.name}${SHAPES_RULE_FILE_SUFFIX}`;
        const tested = { ...group, rules: group.testedRules };
        new GeneratedYamlFile(project, `${RULE_TESTS_DIR}/${ruleFile}`, { obj: renderRuleFile([tested], `${RULE_TESTS_DIR}/${ruleFile}`) });
      }
      // promtool evaluates the rules as Prometheus does: every metrics.scrapeInterval.
      const testFile = renderTestFile(group, ruleFile, ruleTestFilePath(group.name), model.options.metrics.scrapeInterval);
      new GeneratedYamlFile(project, ruleTestFilePath(group.name), { obj: testFile });
      tests++;
    }

    for (const runbook of allRunbooks(model.options)) {
      new GeneratedTextFile(project, runbookPath(runbook.alert), {
        // one entry per block of text: TextFile joins its lines with newlines, so the file is the same
        lines: [MARKDOWN_MARKER, runbook.markdown.replace(/\n+$/, '')],
        marker: false,
        readonly: true,
      });
    }

    // One command, no shell syntax: projen's own task shell has no `command -v` or `{ ...; }`.
    // `obs-gitops test-rules` finds the files, runs promtool, and names how to install it if missing.
    project.addTask(TEST_RULES_TASK, {
      description: `Check the alert and recording rules${tests > 0 ? ' and run their unit tests' : ''} (promtool)`,
      exec: 'obs-gitops test-rules',
      receiveArgs: true,
    });
  }
}
