// Types of community-origins.js for the TypeScript tests that check it against the server's.
import type { Feature, Geometry, Position } from 'geojson';

export function communityOrigins(feature: Feature | { type: string; properties?: Record<string, unknown>; geometry: unknown }): [number, number][];
export function representativePoint(geometry: Geometry | null | undefined): [number, number] | undefined;
