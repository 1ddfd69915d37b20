/** A round-robin balancer on loopback with no affinity (see round-robin-proxy.mjs). */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Answers each target has begun, by target index. */
  served: number[];
  /** The index of the target the latest request was sent to. */
  lastTarget(): number;
  close(): Promise<void>;
}
export function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy>;
