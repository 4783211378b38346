import type { ChatMessage } from '@/server/chat/types'

const SOUND_KEY = 'relay:notification-sound'

/** Whether the user wants a sound with notifications (on unless turned off). */
export function soundEnabled(): boolean {
  return localStorage.getItem(SOUND_KEY) !== 'off'
}

export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off')
}

/**
 * A message that names the user, or a direct message, while the tab is hidden: a browser
 * notification (if the user allowed them, from a button: never asked on load) and a short sound
 * (unless turned off). Clicking the notification brings the tab and the room forward.
 */
export function notifyIfAway(message: ChatMessage, { me, direct, openRoom }: { me: string; direct: boolean; openRoom(roomId: string): void }): void {
  if (document.visibilityState === 'visible' || message.author.id === me) return
  const mentioned = message.mentions.includes(me)
  if (!mentioned && !direct) return
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      const title = mentioned ? `${message.author.name} mentioned you` : `${message.author.name} sent you a message`
      const notification = new Notification(title, { body: message.text.slice(0, 200), tag: message.id })
      notification.onclick = () => {
        window.focus()
        openRoom(message.roomId)
      }
    } catch {
      // Some browsers only notify from a service worker: the sound and the unread badge still tell.
    }
  }
  if (soundEnabled()) playChime()
}

function playChime(): void {
  try {
    const audio = new AudioContext()
    const tone = audio.createOscillator()
    const volume = audio.createGain()
    tone.frequency.value = 880
    volume.gain.setValueAtTime(0.15, audio.currentTime)
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3)
    tone.connect(volume).connect(audio.destination)
    tone.start()
    tone.stop(audio.currentTime + 0.3)
    tone.onended = () => void audio.close()
  } catch {
    // No audio output (or autoplay refused): the notification itself is enough.
  }
}
