export * from './project';
export * from './options/options';
export * from './catalog/charts';
export * from './options/fleet';
export * from './options/central-auth';
export * from './options/upgrade-workflow-options';
export * from './options/heartbeat';
