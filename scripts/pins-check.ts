import { environmentOfStack } from "../config";
import { type PinLocation, type Pins } from "./pins";

/**
 * The committed pins against the code's: what would recreate something deployed is a problem,
 * what has nothing deployed to compare with is a note.
 *
 * Nothing is deployed, as far as the pins know, for an environment they do not list (just added,
 * or a project just adopted whose pins/ is empty) and for one they recorded for another account or
 * region (a company that replaced the shipped placeholders): its resources exist nowhere yet, so
 * there is nothing a `moved` block could keep, and the advice is only to record the pins.
 */
export interface PinsComparison {
  /** A stateful address, a subnet CIDR or a stack changed in an environment that is deployed where it was pinned. */
  readonly problems: string[];
  /** Environments and stacks not compared, because nothing of theirs is pinned where they deploy. */
  readonly notes: string[];
}

const RECORD = "run `npm run pins` and commit pins/";

/** Compares the committed pins with the current ones (both from scripts/pins.ts). */
export function comparePins(committed: Pins, current: Pins): PinsComparison {
  const problems: string[] = [];
  const notes: string[] = [];
  const stacks = [...new Set([...Object.keys(committed.statefulAddresses), ...Object.keys(current.statefulAddresses)])];
  const environments = [...new Set([...stacks.map(environmentOfStack), ...Object.keys(committed.subnetCidrs), ...Object.keys(current.subnetCidrs)])];
  for (const env of environments) {
    const mine = stacks.filter((stack) => environmentOfStack(stack) === env);
    const pinned = mine.some((stack) => committed.statefulAddresses[stack]) || committed.subnetCidrs[env] !== undefined;
    const then = committed.locations[env];
    const now = current.locations[env];
    if (!pinned) {
      notes.push(`${env}: not pinned yet, so never deployed as far as pins/ knows: nothing to compare. Before its first apply, ${RECORD}, so that from then on a change that would recreate one of its resources fails here`);
    } else if (!now) {
      problems.push(`${env}: pinned, but config/ has no such environment any more: its stacks are no longer planned or applied, and nothing of theirs is destroyed. If that is deliberate (destroy them first, if they were deployed), ${RECORD}`);
    } else if (then && !sameLocation(then, now)) {
      notes.push(`${env}: pinned in account ${then.account}, ${then.region}, but it deploys to account ${now.account}, ${now.region} now: nothing pinned exists there, so nothing is compared. Before its first apply there, ${RECORD}`);
    } else {
      for (const stack of mine) {
        const before = committed.statefulAddresses[stack];
        if (before) problems.push(...compareStack(stack, before, current.statefulAddresses[stack]));
        else notes.push(`${stack}: a stack not pinned yet, so never deployed as far as pins/ knows: nothing to compare. Before its first apply, ${RECORD}`);
      }
      problems.push(...compareSubnets(env, committed.subnetCidrs[env], current.subnetCidrs[env]));
    }
  }
  return { problems, notes };
}

const sameLocation = (a: PinLocation, b: PinLocation) => a.account === b.account && a.region === b.region;

/** A stack's stateful addresses: pinned, now. */
function compareStack(stack: string, before: string[], after: string[] | undefined): string[] {
  if (!after) return [`${stack}: pinned, but no longer synthesized: it is no longer planned or applied, and nothing of it is destroyed. If that is deliberate (destroy it first, if it was deployed), ${RECORD}`];
  const gone = before.filter((address) => !after.includes(address));
  const added = after.filter((address) => !before.includes(address));
  if (!gone.length && !added.length) return [];
  const what = [gone.length ? `gone ${gone.join(", ")}` : "", added.length ? `new ${added.join(", ")}` : ""].filter(Boolean).join("; ");
  if (!gone.length) return [`${stack}: new stateful resources (${what}): nothing is recreated; ${RECORD} with the change`];
  const fix = added.length
    ? `Terraform destroys what is gone and creates what is new. For a construct renamed or moved, add a moved block from its old address to its new one (docs/architecture.md, "Moving a resource"); then, or if the change is deliberate, ${RECORD} with it`
    : `Terraform destroys them. If that is deliberate, ${RECORD} with the change`;
  return [`${stack}: stateful addresses changed (${what}). ${fix}`];
}

/**
 * An environment's subnet CIDRs: pinned, now. A subnet that is only new (a zone, or an optional
 * tier, added) replaces nothing, and says so; one changed or gone does.
 */
function compareSubnets(env: string, before: Pins["subnetCidrs"][string] | undefined, after: Pins["subnetCidrs"][string] | undefined): string[] {
  const flat = (cidrs: typeof before) => Object.entries(cidrs ?? {}).flatMap(([tier, zones]) => Object.entries(zones).map(([zone, cidr]) => [`${tier} ${zone}`, cidr] as const));
  const was = new Map(flat(before));
  const is = new Map(flat(after));
  const differ = [...new Set([...was.keys(), ...is.keys()])].filter((subnet) => was.get(subnet) !== is.get(subnet));
  const changed = differ.filter((subnet) => was.has(subnet)).map((subnet) => `${subnet}: ${was.get(subnet)} → ${is.get(subnet) ?? "none"}`);
  const added = differ.filter((subnet) => !was.has(subnet)).map((subnet) => `${subnet}: ${is.get(subnet)}`);
  const problems: string[] = [];
  if (changed.length) problems.push(`${env}: subnet CIDRs changed (${changed.join("; ")}). A changed CIDR replaces the subnet and everything in it, which no moved block can prevent. If that is deliberate, ${RECORD} with the change`);
  if (added.length) problems.push(`${env}: new subnets (${added.join("; ")}): no pinned subnet moves, nothing is replaced; ${RECORD} with the change`);
  return problems;
}
