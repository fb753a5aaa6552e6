import './zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { getBridge } from './bridge/index.ts';
import './styles/app.css';

// Connect now: the socket opens while React renders the first frame.
getBridge();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
