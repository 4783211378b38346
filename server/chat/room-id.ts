import { z } from 'zod'

/** A room's id as every procedure takes it, and as a room link carries it. */
export const roomIdInput = z.object({ roomId: z.uuid('Unknown room id.') })
