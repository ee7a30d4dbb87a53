// Loaded into each service that npm start runs (node --import), never into a service run on its own: the service
// exits as soon as npm start's process is gone (killed with SIGKILL, say), instead of living on, orphaned, on its
// port. The stack holds an IPC channel to the service; the channel closes when the stack's process dies. The
// emulator (inside that process) is gone by then, so there is nothing to finish gracefully: the service exits at once,
// as after a crash, which the inbox and outbox make safe.
if (process.channel) {
  process.channel.unref(); // the channel alone keeps nothing alive
  process.once('disconnect', () => process.exit(1));
}

export {};
