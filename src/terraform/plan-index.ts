// The resources a plan leaves in place after apply, with what is known of each: planned values,
// which attributes stay unknown until apply (`after_unknown`), the configuration expressions that
// link one resource to another (references), and the provider region. Resources being destroyed
// are absent; deposed objects are ignored (they are destroyed by the apply).

import type { ConfigModule, ConfigResource, PlanJson, ProviderConfig, StateModule } from './plan-file.ts';

export interface PlanResource {
  /** The instance address: module.a["k"].aws_s3_bucket.this[0]. */
  address: string;
  /** "" for the root module, else the module instance: module.a["k"]. */
  moduleAddress: string;
  type: string;
  name: string;
  mode: string;
  index?: number | string;
  /** What the apply does: create, update, no-op, read, or a replacement (delete+create). */
  actions: string[];
  /** The values after apply where known (planned values; for a no-op, the state). */
  values: Record<string, unknown>;
  /** The values before the change (the prior state), when the resource exists. */
  before?: Record<string, unknown>;
  /** `after_unknown`: a mirror of `values` with `true` where the value is known only after apply. */
  unknown: unknown;
  config?: ConfigResource;
}

/** Module instance keys do not exist in the configuration: module.a["k"].module.b -> module.a.module.b. */
export const configModulePath = (moduleAddress: string): string => moduleAddress.replace(/\[[^\]]*\]/g, '');

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function splitModule(address: string): { moduleAddress: string; local: string } {
  // The resource part is the last "type.name[index]" after the last module segment.
  const m = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)(.*)$/.exec(address);
  const prefix = m?.[1] ?? '';
  return { moduleAddress: prefix.replace(/\.$/, ''), local: m?.[2] ?? address };
}

function walkState(module: StateModule | undefined, into: Map<string, Record<string, unknown>>): void {
  const todo = module ? [module] : [];
  while (todo.length) {
    const m = todo.pop()!;
    for (const r of m.resources ?? []) if (r.values) into.set(r.address, r.values);
    todo.push(...(m.child_modules ?? []));
  }
}

function walkConfig(module: ConfigModule | undefined, path: string, into: Map<string, ConfigResource>, calls: Map<string, Record<string, unknown>>): void {
  if (!module) return;
  for (const r of module.resources ?? []) into.set(path ? `${path}.${r.address}` : r.address, r);
  for (const [name, call] of Object.entries(module.module_calls ?? {})) {
    const child = path ? `${path}.module.${name}` : `module.${name}`;
    calls.set(child, call.expressions ?? {});
    walkConfig(call.module, child, into, calls);
  }
}

export class PlanIndex {
  readonly plan: PlanJson;
  readonly resources: PlanResource[];
  private readonly byAddress = new Map<string, PlanResource>();
  private readonly configs = new Map<string, ConfigResource>();
  /** Module call expressions by the child module's configuration path (module.a.module.b). */
  private readonly moduleCalls = new Map<string, Record<string, unknown>>();

  constructor(plan: PlanJson) {
    this.plan = plan;
    walkConfig(plan.configuration?.root_module, '', this.configs, this.moduleCalls);
    const prior = new Map<string, Record<string, unknown>>();
    walkState(plan.prior_state?.values?.root_module, prior);
    const resources: PlanResource[] = [];
    const configOf = (moduleAddress: string, type: string, name: string, mode: string) => {
      const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
      const path = configModulePath(moduleAddress);
      return this.configs.get(path ? `${path}.${local}` : local);
    };
    if (plan.resource_changes) {
      for (const rc of plan.resource_changes) {
        if (rc.deposed) continue;
        const actions = rc.change.actions;
        if (actions.length === 1 && actions[0] === 'delete') continue;
        const moduleAddress = rc.module_address ?? splitModule(rc.address).moduleAddress;
        const after = isRecord(rc.change.after) ? rc.change.after : {};
        resources.push({
          address: rc.address,
          moduleAddress,
          type: rc.type,
          name: rc.name,
          mode: rc.mode,
          index: rc.index,
          actions,
          values: after,
          before: isRecord(rc.change.before) ? rc.change.before : prior.get(rc.address),
          unknown: rc.change.after_unknown ?? {},
          config: configOf(moduleAddress, rc.type, rc.name, rc.mode),
        });
      }
    } else {
      // A plan without resource_changes (hand-trimmed): planned values only, nothing known to change.
      const planned = new Map<string, Record<string, unknown>>();
      walkState(plan.planned_values?.root_module, planned);
      for (const [address, values] of planned) {
        const { moduleAddress, local } = splitModule(address);
        const data = local.startsWith('data.');
        const [type, rest] = (data ? local.slice(5) : local).split(/\.(.*)/s);
        const name = (rest ?? '').replace(/\[.*$/, '');
        resources.push({ address, moduleAddress, type, name, mode: data ? 'data' : 'managed', actions: ['no-op'], values, before: prior.get(address), unknown: {}, config: configOf(moduleAddress, type, name, data ? 'data' : 'managed') });
      }
    }
    // Data sources read at plan time are in the prior state only.
    for (const [address, values] of prior) {
      if (this.byAddress.has(address) || resources.some((r) => r.address === address)) continue;
      const { moduleAddress, local } = splitModule(address);
      if (!local.startsWith('data.')) continue;
      const [type, rest] = local.slice(5).split(/\.(.*)/s);
      const name = (rest ?? '').replace(/\[.*$/, '');
      resources.push({ address, moduleAddress, type, name, mode: 'data', actions: ['no-op'], values, before: values, unknown: {}, config: configOf(moduleAddress, type, name, 'data') });
    }
    this.resources = resources;
    for (const r of resources) this.byAddress.set(r.address, r);
  }

  get(address: string): PlanResource | undefined {
    return this.byAddress.get(address);
  }

  ofType(type: string, mode = 'managed'): PlanResource[] {
    return this.resources.filter((r) => r.type === type && r.mode === mode);
  }

  /**
   * Where `path` (attribute names and list indexes) of `resource` is unknown until apply: the
   * attribute path as the plan's reader would write it (aws_s3_bucket_policy.this.policy), or
   * undefined when the value is known. A parent marked unknown makes every child unknown.
   */
  unknownAt(resource: PlanResource, path: Array<string | number>): string | undefined {
    let node: unknown = resource.unknown;
    for (let i = 0; i <= path.length; i++) {
      if (node === true) return `${resource.address}.${path.join('.')}`;
      if (i === path.length || node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string | number, unknown>)[path[i] as never];
    }
    return undefined;
  }

  /** Every unknown leaf under `path` (for naming what a whole block waits for). */
  unknownUnder(resource: PlanResource, path: Array<string | number>): string[] {
    const at = this.unknownAt(resource, path);
    if (at) return [at];
    let node: unknown = resource.unknown;
    for (const p of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[p as never] : undefined;
    const found: string[] = [];
    const walk = (n: unknown, prefix: Array<string | number>) => {
      if (n === true) found.push(`${resource.address}.${prefix.join('.')}`);
      else if (Array.isArray(n)) n.forEach((c, i) => walk(c, [...prefix, i]));
      else if (isRecord(n)) for (const [k, c] of Object.entries(n)) walk(c, [...prefix, k]);
    };
    walk(node, path);
    return found;
  }

  /** The configuration expression of an attribute: its constant, or what it references. */
  expression(resource: PlanResource, attribute: string | Array<string | number>): { constant?: unknown; references: string[] } | undefined {
    // A nested block's expressions mirror its values: lists of objects (rule[0].apply_...[0].kms_master_key_id).
    let e: unknown = resource.config?.expressions;
    for (const key of Array.isArray(attribute) ? attribute : [attribute]) e = e !== null && typeof e === 'object' ? (e as Record<string | number, unknown>)[key as never] : undefined;
    if (!isRecord(e)) return undefined;
    return { constant: e.constant_value, references: Array.isArray(e.references) ? e.references.filter((r): r is string => typeof r === 'string') : [] };
  }

  /**
   * Whether the configuration sets `attribute` of the resource at all (a block or an expression).
   * Without the resource's configuration (a trimmed plan) it may: the answer is then yes.
   */
  configures(resource: PlanResource, attribute: string): boolean {
    if (!resource.config) return true;
    return resource.config.expressions?.[attribute] !== undefined;
  }

  /**
   * What an attribute's references point at, resolved to resource instances (in the same module
   * instance; `var.x` through the module call's expression, up to the root's variables, whose
   * values are constants). `unresolved` lists references that lead nowhere this tool can follow
   * (locals, each.value, module outputs).
   */
  resolve(resource: PlanResource, attribute: string | Array<string | number>): { resources: PlanResource[]; constants: unknown[]; unresolved: string[] } {
    const out = { resources: [] as PlanResource[], constants: [] as unknown[], unresolved: [] as string[] };
    const expr = this.expression(resource, attribute);
    if (!expr) return out;
    if (expr.constant !== undefined) out.constants.push(expr.constant);
    this.resolveRefs(expr.references, resource.moduleAddress, resource.index, out, 0);
    return out;
  }

  private resolveRefs(refs: string[], moduleAddress: string, ownIndex: number | string | undefined, out: { resources: PlanResource[]; constants: unknown[]; unresolved: string[] }, depth: number): void {
    if (depth > 16) return void out.unresolved.push(...refs);
    const seen = new Set<string>();
    // Terraform lists a reference at each level of precision ("a.b[0].id", "a.b[0]", "a.b"): keep the most precise per resource.
    for (const ref of refs) {
      const variable = /^var\.([^.[]+)/.exec(ref);
      if (variable) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        if (!moduleAddress) {
          const v = this.plan.variables?.[variable[1]];
          if (v && v.value !== undefined) out.constants.push(v.value);
          else out.unresolved.push(ref);
          continue;
        }
        const callPath = configModulePath(moduleAddress);
        const call = this.moduleCalls.get(callPath)?.[variable[1]];
        if (!isRecord(call)) {
          out.unresolved.push(ref);
          continue;
        }
        if (call.constant_value !== undefined) out.constants.push(call.constant_value);
        const parent = moduleAddress.replace(/\.?module\.[^.[]+(\[[^\]]*\])?$/, '');
        this.resolveRefs(Array.isArray(call.references) ? (call.references as string[]) : [], parent, undefined, out, depth + 1);
        continue;
      }
      const res = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/.exec(ref);
      if (!res || ['local', 'each', 'count', 'path', 'terraform', 'module', 'self'].includes(res[2]) && !res[1]) {
        out.unresolved.push(ref);
        continue;
      }
      const base = `${moduleAddress ? `${moduleAddress}.` : ''}${res[1] ?? ''}${res[2]}.${res[3]}`;
      if (seen.has(base)) continue;
      if (res[4]) {
        seen.add(base);
        const r = this.byAddress.get(base + res[4]);
        if (r) out.resources.push(r);
        continue;
      }
      // No index in the reference: the resource has one instance, or (count/for_each on both
      // sides with count.index / each.key) the instance with the referrer's own index.
      if (refs.some((other) => other !== ref && other.startsWith(`${res[1] ?? ''}${res[2]}.${res[3]}[`))) continue;
      seen.add(base);
      const instances = this.resources.filter((r) => r.address === base || r.address.startsWith(`${base}[`));
      if (instances.length <= 1) out.resources.push(...instances);
      else {
        const same = instances.find((r) => r.index !== undefined && r.index === ownIndex);
        if (same) out.resources.push(same);
        else out.unresolved.push(ref);
      }
    }
  }

  /**
   * The provider's single `allowed_account_ids` (the provider refuses to plan in any other account,
   * so this is the account the resource is created in), when the configuration gives exactly one.
   */
  allowedAccount(resource: PlanResource): string | undefined {
    const providers = this.plan.configuration?.provider_config ?? {};
    const provider = providers[resource.config?.provider_config_key ?? 'aws'] ?? providers.aws;
    const e = provider?.expressions?.allowed_account_ids;
    const ids = isRecord(e) && Array.isArray(e.constant_value) ? e.constant_value : [];
    return ids.length === 1 && typeof ids[0] === 'string' && /^\d{12}$/.test(ids[0]) ? ids[0] : undefined;
  }

  /** The provider configuration a resource uses, and the region it sets (a constant or a root variable). */
  region(resource: PlanResource): { region?: string; from?: string } {
    const providers = this.plan.configuration?.provider_config ?? {};
    const key = resource.config?.provider_config_key;
    const candidates: Array<[string, ProviderConfig]> = [];
    if (key && providers[key]) candidates.push([key, providers[key]]);
    // Older Terraform writes "module_name:aws"; a module without its own provider block inherits the parent's.
    const localName = key?.split(':').pop()?.split('.')[0] ?? 'aws';
    const alias = key?.includes('.') ? key.split('.').pop() : undefined;
    let module = resource.moduleAddress ? configModulePath(resource.moduleAddress) : '';
    for (;;) {
      const k = `${module ? `${module}:` : ''}${localName}${alias ? `.${alias}` : ''}`;
      if (providers[k] && !candidates.some(([c]) => c === k)) candidates.push([k, providers[k]]);
      if (!module) break;
      module = module.replace(/\.?module\.[^.]+$/, '');
    }
    for (const [k, p] of candidates) {
      const e = p.expressions?.region;
      if (!isRecord(e)) continue;
      if (typeof e.constant_value === 'string') return { region: e.constant_value, from: `provider "${k}" region` };
      const refs = Array.isArray(e.references) ? (e.references as string[]) : [];
      const variable = refs.map((r) => /^var\.([^.[]+)$/.exec(r)?.[1]).find(Boolean);
      const value = variable && !p.module_address ? this.plan.variables?.[variable]?.value : undefined;
      if (typeof value === 'string') return { region: value, from: `provider "${k}" region (var.${variable})` };
      return { from: `provider "${k}" region (${refs.join(', ') || 'an expression'}, not resolvable from the plan)` };
    }
    return {};
  }
}
