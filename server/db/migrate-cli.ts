// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
import { env } from '../env.ts'
import { databaseTargetFromEnv, openDatabase } from './open.ts'

const database = await openDatabase(databaseTargetFromEnv(env()))
const applied = database.migrationsApplied
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.')
await database.close()
