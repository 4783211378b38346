import { PublicRooms } from './_components/public-rooms'

export default function HomePage() {
  return <PublicRooms />
}
