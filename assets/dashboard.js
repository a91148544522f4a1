// shipgate dashboard: progressive enhancement only. Every page works without this file.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // Times are printed in the policy's zone; the viewer's own zone is offered on hover.
  for (const time of document.querySelectorAll('time[datetime]')) {
    const at = new Date(time.getAttribute('datetime'));
    if (!Number.isNaN(at.getTime())) time.title = `your time: ${at.toLocaleString()}`;
  }

  // A form is sent once: its buttons are disabled while the request is on its way.
  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', (event) => {
      const pressed = event.submitter;
      for (const button of form.querySelectorAll('button')) {
        if (button === pressed && pressed.name) {
          // A disabled button's name and value are not sent: keep them in a hidden field.
          const hidden = document.createElement('input');
          hidden.type = 'hidden';
          hidden.name = pressed.name;
          hidden.value = pressed.value;
          form.appendChild(hidden);
        }
        button.disabled = true;
      }
      if (pressed) pressed.textContent = `${pressed.textContent.trim()}…`;
    });
  }

  // Countdowns (a soak period, a notice period): data-countdown holds the ISO time it ends.
  const countdowns = document.querySelectorAll('[data-countdown]');
  const tick = () => {
    for (const element of countdowns) {
      const left = Math.max(0, Date.parse(element.dataset.countdown) - Date.now());
      const h = Math.floor(left / 3_600_000);
      const m = Math.floor((left % 3_600_000) / 60_000);
      const s = Math.floor((left % 60_000) / 1000);
      element.textContent = left === 0 ? 'ended' : `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
    }
  };
  if (countdowns.length > 0) {
    tick();
    setInterval(tick, 1000);
  }
});
