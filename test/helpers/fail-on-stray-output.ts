/** Jest setupFilesAfterEnv: a test that prints to the console without expecting to fails (see stray-output.ts). */
import { installStrayOutputGuard } from './stray-output';

installStrayOutputGuard();
