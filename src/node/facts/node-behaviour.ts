/**
 * Facts about fabstir-llm-node that several parts of the host explain to people (doctor, init, status, service
 * files). Each is read from the node's source, fabstir-llm-node@85a87b8; keep the citations with the words.
 */

/**
 * The node's checkpoint signer is built with `chain_id: 84532` whatever CHAIN_ID says (src/main.rs:552-556, and
 * `wallet.with_chain_id(web3_config.chain_id)` at src/main.rs:562-564): its transactions only verify on Base Sepolia.
 */
export const NODE_SIGNER_CHAIN_ID = 84532;

/** The node listens on every interface: `listen_addr: format!("0.0.0.0:{}", api_port)` (src/main.rs:329). */
export const NODE_BIND_ADDRESS = "0.0.0.0";

/**
 * How to close the node's internal port (node.internalPort) to everything but this machine. The node has no setting
 * to bind loopback, and a service manager cannot filter one port of a service (systemd's IPAddressDeny= filters every
 * socket of the unit, the public port and the RPC connections too): only a firewall, or not publishing the port
 * (Docker, Kubernetes), closes it. Clients need only node.apiPort.
 */
export function closeNodePortAdvice(port: number | string): string {
  return `Close port ${port} to everything but this machine: \`sudo ufw deny ${port}/tcp\` (ufw), or \`sudo iptables -I INPUT -p tcp --dport ${port} ! -i lo -j DROP\` (and ip6tables the same); in Docker do not publish it, in Kubernetes keep the NetworkPolicy in installers/kubernetes. Clients need only node.apiPort.`;
}

/**
 * A keyless node (node.signer = "cli") answers `encrypted_session_init` with `ENCRYPTION_NOT_SUPPORTED`
 * (src/api/server.rs:2532-2545), and the SDK encrypts by default (fabstir-llm-sdk@ae342d6
 * packages/sdk-core/src/managers/SessionManager.ts:406, `config.encryption !== false`).
 */
export const KEYLESS_NODE_WARNING =
  "node.signer = cli: the node runs without a key, so it refuses encrypted sessions (ENCRYPTION_NOT_SUPPORTED), and the Fabstir SDK encrypts sessions by default: most clients cannot use this host.";

export const KEYLESS_NODE_FIX =
  "Set node.signer to node (`fabstir-host config set node.signer node`) so the node can decrypt sessions, unless every client of this host opts out of encryption.";

export const KEYLESS_NODE_HINT = "Try: fabstir-host config set node.signer node (the node then holds the key and can decrypt sessions)";

/** What the host loses without an S5 bridge (src/storage/s5_client.rs:603-640: no ENHANCED_S5_URL = MockS5Backend). */
export const NO_S5_CONSEQUENCE =
  "the node keeps proofs and checkpoint deltas in an in-memory mock store: their CIDs (sent on chain with every proof) never reach S5, clients cannot fetch the checkpoints, and the checkpoint index is lost when the node restarts";
