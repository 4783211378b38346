import { auth } from '@/server/auth'

export const dynamic = 'force-dynamic'

// Sign-up, sign-in, sign-out and session endpoints (Better Auth).
const handler = (req: Request) => auth().handler(req)

export { handler as GET, handler as POST }
