'use client'
import { useState, useSyncExternalStore } from 'react'
import { setSoundEnabled, soundEnabled } from '../_lib/notifications'

const noSubscription = () => () => {}

/** Asks for notification permission only when the user clicks; the sound can be turned off. */
export function NotificationSettings() {
  const supported = useSyncExternalStore(noSubscription, () => 'Notification' in window, () => false)
  const initialPermission = useSyncExternalStore(noSubscription, () => ('Notification' in window ? Notification.permission : 'denied'), () => 'default')
  const [permission, setPermission] = useState<NotificationPermission | undefined>()
  const initialSound = useSyncExternalStore(noSubscription, soundEnabled, () => true)
  const [sound, setSound] = useState<boolean | undefined>()
  const current = permission ?? initialPermission
  const soundOn = sound ?? initialSound

  return (
    <div className="notification-settings">
      {supported && current === 'default' && (
        <button type="button" className="link" onClick={() => void Notification.requestPermission().then(setPermission)}>
          Notify me of mentions and direct messages
        </button>
      )}
      {current === 'granted' && <span className="muted">Notifications on</span>}
      {current === 'denied' && supported && <span className="muted">Notifications blocked in this browser</span>}
      <label className="muted">
        <input
          type="checkbox"
          checked={soundOn}
          onChange={(event) => {
            setSoundEnabled(event.target.checked)
            setSound(event.target.checked)
          }}
        />{' '}
        Sound
      </label>
    </div>
  )
}
