import type { CompiledScenario } from '../../harness/scenario/types.ts';
import { scenarioFromYaml } from './run-scenario.ts';

/** Fault rates of a saga chain's agents: `error` probability per attempt and attempts in all. */
export interface ChainFaults {
  readonly error: number;
  readonly attempts: number;
}

const RELIABLE: ChainFaults = { error: 0, attempts: 3 };

/**
 * An order-to-cash chain reserve → charge → ship (sequential), each step 1 s: reserve and charge
 * have side effects, undone by release and refund. Six generated cases.
 */
export function sagaChain(faults: { readonly ship: ChainFaults; readonly refund?: ChainFaults }): CompiledScenario {
  const agent = (name: string, role: string, fault: ChainFaults, compensation?: string) => `
  ${name}:
    role: ${role}
    model: mid-tier
    latency: 1s
    faults: { error: ${fault.error}, timeout: 0, rateLimit: 0 }
    retry: { attempts: ${fault.attempts}, initialBackoff: 100ms }${compensation === undefined ? '' : `\n    compensation: { agent: ${compensation} }`}`;
  return scenarioFromYaml(`
name: order-to-cash
agents:${agent('reserve', 'reserves inventory', RELIABLE, 'release')}${agent('charge', 'charges the card', RELIABLE, 'refund')}${agent('ship', 'books the shipment', faults.ship)}${agent('release', 'releases the reservation', RELIABLE)}${agent('refund', 'refunds the charge', faults.refund ?? RELIABLE)}
cases:
  generate: { count: 6, labels: { shipped: 1 } }
patterns:
  sequential: { steps: [reserve, charge, ship] }
`);
}
