import { writeCsv } from './generate.ts';
await writeCsv('/tmp/b100k.csv', 100000);
