/**
 * For tests only: the workspace's raw SQLite connection, to set up a state no command makes or to
 * read a column no function returns. Application code calls named store functions instead.
 */
export { dbOf } from './workspace';
