// The .dockerignore rules live in api/ because both sides apply them: the CLI when it sends a context,
// the builder when it receives one. The builder's code imports them from here.
export * from '../../api/dockerignore.js';
