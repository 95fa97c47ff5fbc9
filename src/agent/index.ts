/** @module agent — assembles the components `plkit run` starts. */
export type { AgentInfo, AgentOptions } from './agent.js';
export { Agent } from './agent.js';
export { resolveGlobalHostTags } from './host-tags.js';
