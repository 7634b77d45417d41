export * from './scan';
export * from './histogram';
export * from './child-process';
export * from './appsync-local';
export * from './ticker-gen';
export * from './broker';
export * from './options';
export * from './proc';
