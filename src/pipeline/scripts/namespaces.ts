/**
 * The four script namespaces of SPEC §5 and where they live on disk. The
 * order of `NAMESPACES` is the lookup order: a script in an earlier
 * namespace shadows a same-named one of the same category in a later one.
 * Offload asks one question of a selection, "is it `remote`?", so the
 * namespace travels with every selected script.
 */
import type { ConfigPaths } from '../../config/types.js';

export type Namespace = 'remote' | 'confd' | 'gitrepo' | 'default';

/** Highest priority first (DataKit's search order). */
export const NAMESPACES: readonly Namespace[] = ['remote', 'confd', 'gitrepo', 'default'];

export function isNamespace(x: string): x is Namespace {
  return (NAMESPACES as readonly string[]).includes(x);
}

/** Root folder of each namespace. `gitrepo` holds one sub-folder per repository. */
export type NamespaceFolders = Readonly<Record<Namespace, string>>;

export function namespaceFolders(paths: ConfigPaths): NamespaceFolders {
  return {
    remote: paths.pipelineRemote,
    confd: paths.pipelineConfd,
    gitrepo: paths.pipelineGitrepos,
    default: paths.pipeline,
  };
}
