// Clients without `uses`: a client that calls nothing declared here is still
// a declaration of its own (e.g. an API entry point).
package gateway;

client health;
/// A documented client.
client status;
